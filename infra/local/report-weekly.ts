/**
 * `npm run report:weekly [-- 2026-W47]`: asks the running `npm start` runtime (PORT, default 3000) to generate and
 * store a week's report (default: the week that has just ended), signed in as the demo admin, and prints where to
 * read it. The scheduled job also writes each week's report by itself once the week has ended.
 */
const base = `http://127.0.0.1:${process.env.PORT ?? '3000'}`;
const week = process.argv.slice(2).find((a) => /^\d{4}-W\d{2}$/.test(a));

async function main(): Promise<void> {
  const signIn = await fetch(`${base}/auth/dev-token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: 'admin' }),
  }).catch(() => undefined);
  if (!signIn?.ok) {
    console.error(
      `No Daiban runtime answers at ${base} in demo mode: start it with npm start (or set PORT).`,
    );
    process.exit(1);
  }
  const { token } = (await signIn.json()) as { token: string };
  const res = await fetch(`${base}/admin/reports/weekly`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(week ? { week } : {}),
  });
  const body = (await res.json()) as {
    report?: { week: string; steps: { decided: number } };
    error?: { message: string };
  };
  if (!res.ok || !body.report) {
    console.error(`Not generated: ${body.error?.message ?? res.status}`);
    process.exit(1);
  }
  const id = body.report.week;
  console.log(`Weekly report ${id} generated (${body.report.steps.decided} decisions).`);
  console.log(`  page  ${base}/app/reports/weekly/${id}   (signed in as leader-zhang or admin)`);
  console.log(`  CSV   ${base}/reports/weekly/${id}?format=csv   JSON ${base}/reports/weekly/${id}`);
}

void main();
