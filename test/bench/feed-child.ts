// Bench child: the local feed server alone in its own process, bundled as users run it (see
// bench-bundle.ts), serving one profile's file. Prints its URL; stops when stdin closes.
import { startFeedServer } from '../../electron/core/feed/feed-server.ts';

const [file, token] = process.argv.slice(2);
const profile = { name: 'team', token, file };
const feed = await startFeedServer({ profiles: () => [profile] });
process.stdout.write(`${feed.url(profile)}\n`);
process.stdin.resume();
process.stdin.on('end', () => void feed.close().then(() => process.exit(0)));
