// SPDX-License-Identifier: Apache-2.0

const formats = new Map<string, Intl.DateTimeFormat>();

/** Today's date (YYYY-MM-DD) in the platform's time zone: effective dates are local calendar dates. */
export function today(timeZone = 'Asia/Shanghai'): string {
  let f = formats.get(timeZone);
  if (!f) formats.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return f.format(new Date());
}
