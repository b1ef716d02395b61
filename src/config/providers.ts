// One vendor family serves the same getBalance API (same headers, signature, answer and status table) under
// three brands; only the base URL differs. Checked against each one's public docs and SDK (2026-12), see
// docs/providers.md.

/** The platforms an account may be on, and the base URL the client appends `/getBalance` to. */
export const PROVIDERS = {
  laaffic: { baseUrl: 'https://api.laaffic.com/v3' },
  // Onbuka's Java SDK (itniotech/buka-java-sdk, ApiEnums.BASEURL) signs the same Api-Key/Timestamp/Sign.
  onbuka: { baseUrl: 'https://api.onbuka.com/v3' },
  // The path is /sms, not /v3; its getBalance page is Laaffic's word for word.
  itniotech: { baseUrl: 'https://api.itniotech.com/sms' },
} as const

export type Provider = keyof typeof PROVIDERS

/** In the order the docs list them; the first is the default. */
export const PROVIDER_NAMES = ['laaffic', 'onbuka', 'itniotech'] as const satisfies readonly Provider[]
