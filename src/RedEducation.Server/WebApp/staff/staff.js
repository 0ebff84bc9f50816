import { startPage } from '/js/page.js';

startPage({ roles: ['staff', 'admin'] });
