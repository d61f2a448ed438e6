// SPDX-License-Identifier: Apache-2.0

/** Today's date (YYYY-MM-DD) in the platform's time zone: effective dates are local calendar dates. */
export function today(timeZone = 'Asia/Shanghai'): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}
