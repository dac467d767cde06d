// Unit tests run in Node; pin the time zone so date formatting is deterministic everywhere.
process.env.TZ = 'Asia/Tehran';
