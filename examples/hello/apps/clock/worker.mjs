// A worker dyno: logs a tick every 5 seconds.
const timer = setInterval(() => console.log(`tick ${new Date().toISOString()}`), 5000);
process.on('SIGTERM', () => {
  clearInterval(timer);
  process.exit(0);
});
