// @ts-check
// Every migration, in the order it runs (explicit on purpose: no globs across ts/js/dist).
const { Platform1764720000000 } = require('./1764720000000-platform');
const { ReadIndexes1764720100000 } = require('./1764720100000-read-indexes');
const { ConversationControl1764720200000 } = require('./1764720200000-conversation-control');
const { TraceAnalytics1764720300000 } = require('./1764720300000-trace-analytics');

/** @type {Function[]} */
const migrations = [Platform1764720000000, ReadIndexes1764720100000, ConversationControl1764720200000, TraceAnalytics1764720300000];

module.exports = { migrations };
