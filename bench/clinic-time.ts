/** Days and times on the clinic's calendar (the bench runs the servers with CLINIC_TIME_ZONE=Asia/Bangkok). */
export const TIME_ZONE = 'Asia/Bangkok';

export function clinicDate(instant: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

export function plusDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** An instant on a clinic calendar day at hh:mm clinic time (UTC+7, no daylight saving). */
export function atClinicTime(date: string, minutes: number): string {
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return new Date(`${date}T${hh}:${mm}:00+07:00`).toISOString();
}
