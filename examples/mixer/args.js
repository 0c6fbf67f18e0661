// Options shared by the mixer examples: `--device ID` for a real device
// (default: the virtual loopback card), `--speed N` to run the virtual
// device faster than real time, `--seconds S` for how long to run.
'use strict';
const { parseArgs } = require('node:util');

module.exports = function args() {
  const { values } = parseArgs({
    options: {
      device: { type: 'string', default: 'virtual:loopback' },
      speed: { type: 'string', default: '1' },
      seconds: { type: 'string', default: '3' },
    },
  });
  const virtual = values.device.startsWith('virtual:');
  return {
    stream: { device: values.device, ...(virtual ? { speed: Number(values.speed) } : {}) },
    seconds: Number(values.seconds),
  };
};
