// `npm start`'s last step: serves the built demo (www/dist) on http://127.0.0.1:8080 (PORT overrides).
import { serve } from './static-server.mjs';

const port = Number(process.env.PORT || 8080);
try {
  const { url } = await serve(new URL('../www/dist', import.meta.url).pathname, port);
  console.log(`outtake demo: ${url}  (Ctrl+C to stop)`);
} catch (e) {
  // The usual failure is a busy port: one line that says what to do, not a stack trace.
  const why =
    e.code === 'EADDRINUSE'
      ? `port ${port} is in use (another \`npm start\`?): stop it, or choose another with PORT=8081 npm start`
      : e.code === 'EACCES'
        ? `port ${port} needs privileges: choose another with PORT=8081 npm start`
        : e.message;
  console.error(`outtake demo: ${why}`);
  process.exit(1);
}
