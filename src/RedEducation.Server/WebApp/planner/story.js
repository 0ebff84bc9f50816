// The Liaoshen Campaign route (GET /api/routes/liaoshen) told stop by stop: the map flies to each stop and the panel
// shows its dates and story in the current language.
import { api } from '/js/api.js';
import { t, localText, lang } from '/js/i18n.js';
import { formatDate } from '/js/page.js';
import { kilometres, minutes } from '/planner/plan.js';

const $ = id => document.getElementById(id);

export class Story {
  constructor(map) {
    this.map = map;
    this.route = null;
    this.index = 0;
    $('story-prev').addEventListener('click', () => this.go(this.index - 1));
    $('story-next').addEventListener('click', () => this.go(this.index + 1));
  }

  async start() {
    this.route ??= await api('/api/routes/liaoshen');
    this.route.stops.sort((a, b) => a.order - b.order);
    this.map.showStory(this.route);
    this.go(this.index);
  }

  stop() {
    this.map.hideStory();
  }

  go(index) {
    if (!this.route) return;
    this.index = Math.max(0, Math.min(index, this.route.stops.length - 1));
    const stop = this.route.stops[this.index];
    this.map.flyTo(stop.location.lat, stop.location.lon, 10);
    this.draw();
  }

  draw() {
    if (!this.route) return;
    const stop = this.route.stops[this.index];
    const last = this.index === this.route.stops.length - 1;
    $('story-step').textContent = t('story.step', { n: this.index + 1, total: this.route.stops.length });
    $('story-title').textContent = localText(stop.name);
    $('story-dates').textContent = stop.from === stop.to ? formatDate(stop.from) : `${formatDate(stop.from)} – ${formatDate(stop.to)}`;
    $('story-text').textContent = localText(stop.text);
    $('story-accuracy').textContent = stop.approximate ? t('story.approximate', { m: stop.accuracyMeters.toLocaleString(lang()) }) : '';
    $('story-prev').disabled = this.index === 0;
    $('story-next').disabled = last;
    $('story-end').hidden = !last;
    $('story-totals').textContent = t('story.totals', { km: kilometres(this.route.totalDistanceMeters), time: minutes(this.route.totalDurationSeconds) });
  }
}
