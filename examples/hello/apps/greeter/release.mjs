// The release phase: runs once per release, before its dynos boot (migrations go here).
console.log(`release phase for ${process.env.APP_NAME}: GREETING=${process.env.GREETING}`);
