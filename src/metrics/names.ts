// Every metric name the exporter exposes, in one place: users write queries and alerts against these.
export const METRIC = {
  balance: 'laaffic_balance',
  giftBalance: 'laaffic_gift_balance',
  creditLimit: 'laaffic_credit_limit',
  balanceWarningThreshold: 'laaffic_balance_warning_threshold',
  balanceCriticalThreshold: 'laaffic_balance_critical_threshold',
  up: 'laaffic_up',
  lastSuccess: 'laaffic_last_success_timestamp_seconds',
  pollDuration: 'laaffic_poll_duration_seconds',
  clockSkew: 'laaffic_clock_skew_seconds',
  polls: 'laaffic_polls_total',
  apiRequests: 'laaffic_api_requests_total',
  pollErrors: 'laaffic_poll_errors_total',
  buildInfo: 'laaffic_exporter_build_info',
  shardInfo: 'laaffic_exporter_shard_info',
} as const
