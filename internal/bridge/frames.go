package bridge

// Frames cross between the socket's JS (jsbridge/qix-socket.js, through
// qix-boot.js's GoMemory) and Go in bursts: count little-endian uint32
// lengths, then the frames back to back, in one buffer and one call.

// SplitFrames returns the frames of a burst: buf holds count lengths, then
// the frames. A length that runs past the buffer ends the burst there (the
// JS side never writes one). The frames alias buf.
func SplitFrames(count int, buf []byte) [][]byte {
	if count <= 0 || 4*count > len(buf) {
		return nil
	}
	lens, data := buf[:4*count], buf[4*count:]
	frames := make([][]byte, 0, count)
	at := 0
	for i := 0; i < 4*count; i += 4 {
		n := int(LE32(lens[i:]))
		if n > len(data)-at {
			break
		}
		frames = append(frames, data[at:at+n:at+n])
		at += n
	}
	return frames
}

// AppendFrame adds msg to a burst Go sends: its bytes to out, its length
// to lens (JS reads them with SplitFrames's layout, lengths apart).
func AppendFrame(out, lens, msg []byte) ([]byte, []byte) {
	n := uint32(len(msg))
	return append(out, msg...), append(lens, byte(n), byte(n>>8), byte(n>>16), byte(n>>24))
}

// LE32 reads a little-endian uint32 from b[0:4] (the lengths of a burst, a
// big frame's stub header). It stands in for encoding/binary, whose import
// links reflect and its initialiser into the module (docs/SIZE.md).
func LE32(b []byte) uint32 {
	_ = b[3]
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}
