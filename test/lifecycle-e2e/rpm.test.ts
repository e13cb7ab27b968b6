/** Issue 4 items 1–6 for .rpm, through rpm (--nodeps) and through dnf from a served yum repository. */
import { dnfDriver, rpmDriver } from './support/drivers.js';
import { serviceLifecycle } from './support/scenario.js';

serviceLifecycle(rpmDriver());
serviceLifecycle(dnfDriver());
