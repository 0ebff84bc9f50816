import { startPage } from '/js/page.js';

startPage({ roles: ['unit', 'admin'] });
