package qixcore

// newUUID returns a random (version 4) UUID.
func newUUID() string {
	var u [16]byte
	randomBytes(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	const hex = "0123456789abcdef"
	buf := make([]byte, 0, 36)
	for i, c := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			buf = append(buf, '-')
		}
		buf = append(buf, hex[c>>4], hex[c&0x0f])
	}
	return string(buf)
}
