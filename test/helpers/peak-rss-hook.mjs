// Loaded with `node --import` in front of the real CLI: reports the process's peak resident set size on
// stderr at exit ("PEAK_RSS_KB=n"), so memory bounds are measured on the command exactly as users run it.
process.on('exit', () => {
  process.stderr.write(`\nPEAK_RSS_KB=${process.resourceUsage().maxRSS}\n`);
});
