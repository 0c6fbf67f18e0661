// Tests run on the virtual device unless they name another host (a device id
// such as 'alsa:loopback' still opens on its own host). The system-default
// resolution itself is tested in a child process (test/defaults-host.test.ts).
import { defaults } from '../src/index';

defaults.host = 'virtual';
