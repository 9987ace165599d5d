// Independent recomputation of the emulator's "Sales" sample app, so the
// dashboard tests can check what the pages show against numbers that did not
// come from the engine. The generation rule is the one documented on
// buildSales in emulator/engine/sampleapps.go; it is re-implemented here from
// that description (SplitMix64 with BigInt), not ported from the Go code.

export const REGIONS = ['North', 'South', 'East', 'West', 'Central'];
export const CATEGORIES = ['Accessories', 'Bikes', 'Clothing', 'Components', 'Services'];
export const YEARS = [2022, 2023, 2024];
export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const N_ORDERS = 50000;
const N_CUSTOMERS = 500;
const N_PRODUCTS = 60;
const N_DAYS = 1096; // 2022-01-01 .. 2024-12-31
const SEED = 42n;

const MASK = (1n << 64n) - 1n;

/** splitMix64 returns a generator of the next 64-bit value as a BigInt. */
function splitMix64(seed) {
  let state = seed & MASK;
  return () => {
    state = (state + 0x9e3779b97f4a7c15n) & MASK;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
    return z ^ (z >> 31n);
  };
}

export const unitPrice = (productId) => 5 + ((productId * 37) % 200);
export const customerName = (id) => `Customer ${String(id).padStart(3, '0')}`;
export const productName = (id) => `Product ${String(id).padStart(2, '0')}`;
export const customerRegion = (id) => REGIONS[(id - 1) % 5];
export const productCategory = (id) => CATEGORIES[(id - 1) % 5];

let cache = null;

/**
 * orders returns the 50 000 generated orders, each with the fields the
 * dashboard uses resolved through the linked tables.
 */
export function orders() {
  if (cache) return cache;
  const next = splitMix64(SEED);
  const intn = (n) => Number(next() % BigInt(n));
  const start = Date.UTC(2022, 0, 1);
  const out = new Array(N_ORDERS);
  for (let i = 1; i <= N_ORDERS; i++) {
    const day = intn(N_DAYS);
    const customer = 1 + intn(N_CUSTOMERS);
    const product = 1 + intn(N_PRODUCTS);
    const quantity = 1 + intn(10);
    const date = new Date(start + day * 86400000);
    const month = date.getUTCMonth() + 1;
    out[i - 1] = {
      OrderID: i,
      Year: date.getUTCFullYear(),
      Month: MONTHS[month - 1],
      MonthNum: month,
      Quarter: `Q${Math.floor((month - 1) / 3) + 1}`,
      CustomerID: customer,
      Customer: customerName(customer),
      Region: customerRegion(customer),
      ProductID: product,
      Product: productName(product),
      Category: productCategory(product),
      Quantity: quantity,
      Sales: quantity * unitPrice(product),
    };
  }
  cache = out;
  return out;
}

/**
 * select returns the orders matching a selection, e.g.
 * { Region: ['North'], Year: [2023] }: every listed field must hold one of
 * its values (fields left out are unrestricted), as QIX's associative logic
 * does for selections in fields that all link to the Orders table.
 */
export function select(selection = {}) {
  const entries = Object.entries(selection).filter(([, vals]) => vals && vals.length);
  if (entries.length === 0) return orders();
  const sets = entries.map(([field, vals]) => [field, new Set(vals.map(String))]);
  return orders().filter((o) => sets.every(([field, set]) => set.has(String(o[field]))));
}

/** kpis are the dashboard's tiles for a set of orders. */
export function kpis(rows) {
  let sales = 0;
  let quantity = 0;
  const customers = new Set();
  for (const o of rows) {
    sales += o.Sales;
    quantity += o.Quantity;
    customers.add(o.CustomerID);
  }
  return { sales, orders: rows.length, quantity, customers: customers.size, avgOrder: rows.length ? sales / rows.length : null };
}

/** sumBy returns [[key, sum of measure], ...] in first-seen key order. */
export function sumBy(rows, key, measure = 'Sales') {
  const m = new Map();
  for (const o of rows) m.set(o[key], (m.get(o[key]) || 0) + o[measure]);
  return [...m.entries()];
}

/**
 * customerTable is the dashboard table: one row per customer with orders in
 * the selection, [Customer, Region, Orders, Units, Sales].
 */
export function customerTable(rows) {
  const m = new Map();
  for (const o of rows) {
    let r = m.get(o.CustomerID);
    if (!r) m.set(o.CustomerID, (r = [o.Customer, o.Region, 0, 0, 0]));
    r[2] += 1;
    r[3] += o.Quantity;
    r[4] += o.Sales;
  }
  return [...m.values()];
}

/** fmtInt formats an integer the way the dashboard does (en-US grouping). */
export const fmtInt = (n) => Math.round(n).toLocaleString('en-US');
