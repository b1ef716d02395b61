// How the status page writes an amount: rounded to the currency's minor unit with thousands separators for
// reading (1,520.50 USD), the exact value as the API gave it on hover and in the JSON.
import { Html, html } from './html.js'

/** Cents for most currencies, none for JPY, three places for KWD (Intl knows ISO 4217's minor units). */
function fractionDigits (currency: string): number {
  if (currency === '') return 2
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  } catch {
    // Not a code Intl knows: the config layer checks codes, so this only guards the page.
    return 2
  }
}

// One formatter per currency: creating one costs far more than formatting with it (1,000 rows per page).
const formatters = new Map<string, Intl.NumberFormat>()

function formatter (currency: string): Intl.NumberFormat {
  let found = formatters.get(currency)
  if (found === undefined) {
    const digits = fractionDigits(currency)
    found = new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    formatters.set(currency, found)
  }
  return found
}

/** `1,520.50`: for reading; the currency's own number of decimals. */
export const formatAmount = (value: number, currency: string): string => formatter(currency).format(value)

/**
 * An amount as the page shows it: rounded for reading, then the account's currency code (none when
 * unknown); the exact value on hover and in `value`. `sign` writes a gain as `+30.00`.
 */
export function amount (value: number, currency: string, sign = false): Html {
  const text = `${sign && value > 0 ? '+' : ''}${formatAmount(value, currency)}`
  const exact = currency === '' ? String(value) : `${value} ${currency}`
  return html`<data value="${value}" title="${exact}">${text}${currency === '' ? undefined : html` <small>${currency}</small>`}</data>`
}
