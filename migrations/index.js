// @ts-check
// Every migration, in the order it runs (explicit on purpose: no globs across ts/js/dist).
const { Platform1764720000000 } = require('./1764720000000-platform');

/** @type {Function[]} */
const migrations = [Platform1764720000000];

module.exports = { migrations };
