// The keys every language's catalogue defines (ICU MessageFormat, formatted by intl-messageformat).
// Values: summary, organizer, attendee (names or addresses), partstat, instance ('yes' when the
// mail is about one occurrence), start / end (Date), zoneName, zoneId.

export const MESSAGE_KEYS = [
  'subject.new', 'subject.changed', 'subject.cancelled', 'subject.removed', 'subject.reply', 'subject.counter',
  'subject.declinecounter', 'subject.add', 'subject.refresh',
  'intro.new', 'intro.changed', 'intro.cancelled', 'intro.removed', 'intro.reply', 'intro.counter',
  'intro.declinecounter', 'intro.add', 'intro.refresh',
  'label.when', 'label.proposed', 'label.where', 'label.join', 'label.organizer', 'label.comment',
  'when.timed', 'when.timedSpan', 'when.allDay', 'when.allDaySpan', 'zone',
  'rsvp.prompt', 'rsvp.accept', 'rsvp.tentative', 'rsvp.decline', 'footer',
] as const;

export type MessageKey = (typeof MESSAGE_KEYS)[number];
export type Catalog = Readonly<Record<MessageKey, string>>;
