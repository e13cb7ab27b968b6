/** Issue 4 items 1–6 for .deb, through dpkg and through apt from a served repository. */
import { aptDriver, dpkgDriver } from './support/drivers.js';
import { serviceLifecycle } from './support/scenario.js';

serviceLifecycle(dpkgDriver());
serviceLifecycle(aptDriver());
