// libs/itip: the pure scheduling agent (house-style.md §5). No I/O, no clock: the caller loads a
// copy, calls applyMessage / planChange, saves with a version guard, publishes from decisions.
export * from './meeting.model';
export * from './decision';
export type { ApplyContext } from './context';
export { applyMessage } from './apply-message';
export { planChange, type Actor, type ChangeContext, type ChangePlan } from './plan-change';
export { recordOwnAnswer, diaryStatus, type DiaryStatus } from './own-answer';
export { itipCalendar, toICalendar, veventLines } from './ics-writer';
export { compareVersions } from './versions';
export { SIGNIFICANT_PROPERTIES, changedProperties, isSignificant } from './component-diff';
export { instanceTombstone, wholeCancelled } from './meeting-state';
export { expandInstances, type DiaryInstance, type DiaryWindow, type Expansion, type ExpandOptions } from './diary';
export { DEFAULT_LIMITS, occurrenceOf, seriesOccurrences, type ExpansionLimits, type Occurrence, type Occurrences } from './recurrence';
export { instanceOf } from './instance';
export { acceptProposal, componentAt, findProposal, planCounter, planDeclineCounter, type CounterProposal } from './counter';
export { eventOf, inviteOf, type InviteOrigin } from './to-invite';
export { componentOf } from './from-invite';
export { components, normalise } from './meeting-state';
export { isKnownZone, wallToUtcMs } from './zone-time';
export { rruleProblem } from './rrule-check';
export { recordDeliveryFailures, deliveryFailureDetail, isDeliveryFailureOf, type DeliveryFailureReport, type DeliveryFailureResult, type FailedRecipient } from './delivery-failure';
