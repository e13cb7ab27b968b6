/** Release notifications: a webhook with Slack-compatible or generic JSON (`mkpkg notify`, `notify({...})`). */
export { notify } from './output.js';
export { sendNotification, checkNotifyOptions, notifyOptionsSchema, type NotifyOptions, type NotifyOutcome, type NotifyInput } from './send.js';
export { summarizeRelease, entriesSince, type ReleaseSummary, type ReleasedPackage, type Destination, type PackageChanges } from './release.js';
export { slackPayload, genericPayload, payloadFor, type PayloadFormat } from './payload.js';
export { deliverWebhook, retryAfterMs, type DeliveryOptions, type Delivery } from './deliver.js';
export { readWebhookUrl, redact, DEFAULT_URL_ENV, type WebhookSecret, type WebhookSource } from './secret.js';
export { detectCi, runnerInfo, type CiRun, type RunnerInfo } from './runner-info.js';
export { changesSinceTag, type GitChanges, type CommitLine } from './git.js';
