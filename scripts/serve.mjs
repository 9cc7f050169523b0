// `npm start`'s last step: serves the built demo (www/dist) on http://127.0.0.1:8080 (PORT overrides).
import { serve } from './static-server.mjs';

const port = Number(process.env.PORT || 8080);
const { url } = await serve(new URL('../www/dist', import.meta.url).pathname, port);
console.log(`outtake demo: ${url}  (Ctrl+C to stop)`);
