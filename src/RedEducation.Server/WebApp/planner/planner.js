import { startPage } from '/js/page.js';

startPage({ roles: ['planner', 'unit', 'admin'] });
