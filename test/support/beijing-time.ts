/** Beijing time: `2026-11-26 12:00` → the instant. */
export const beijing = (text: string) => new Date(`${text.replace(' ', 'T')}:00+08:00`);
