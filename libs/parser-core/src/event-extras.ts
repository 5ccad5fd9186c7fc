// What a CRM shows next to an appointment but no scheduling rule depends on: COMMENT, the
// online-meeting join link, and Outlook's busy-status and all-day flags.
import { findOnlineMeeting } from './conference-link';
import { rawValues, textValue, type IcalComponent } from './ical';
import { WARNING, warning } from './warnings';

export interface EventExtras {
  comment: string[];
  onlineMeetingUrl: string;
  onlineMeetingProvider: string;
  onlineMeetingSource: string;
  onlineMeetingLabel: string;
  busyStatus: string;
  intendedStatus: string;
  outlookAllDay: string;
}

export function readEventExtras(vevent: IcalComponent, allDay: boolean | undefined, warnings: string[]): EventExtras {
  const meeting = findOnlineMeeting(vevent);
  const outlookAllDay = upperText(vevent, 'x-microsoft-cdo-alldayevent');
  // The flag is Outlook's own view; DTSTART's value type is the one RFC 5545 defines, so it wins.
  if (allDay !== undefined && outlookAllDay && (outlookAllDay === 'TRUE') !== allDay) {
    warnings.push(warning(WARNING.outlookAllDayMismatch, `X-MICROSOFT-CDO-ALLDAYEVENT:${outlookAllDay} but DTSTART is a ${allDay ? 'DATE' : 'DATE-TIME'}; DTSTART used`));
  }
  return {
    // RFC 5545 §3.8.1.4: COMMENT may occur more than once.
    comment: vevent.getAllProperties('comment').flatMap(rawValues).filter((v): v is string => typeof v === 'string' && v.trim() !== ''),
    onlineMeetingUrl: meeting?.url ?? '',
    onlineMeetingProvider: meeting?.provider ?? '',
    onlineMeetingSource: meeting?.source ?? '',
    onlineMeetingLabel: meeting?.label ?? '',
    busyStatus: upperText(vevent, 'x-microsoft-cdo-busystatus'),
    intendedStatus: upperText(vevent, 'x-microsoft-cdo-intendedstatus'),
    outlookAllDay,
  };
}

function upperText(vevent: IcalComponent, name: string): string {
  return textValue(vevent, name).trim().toUpperCase();
}
