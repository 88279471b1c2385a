import { initKeyControls } from './api-key.js';
import { initBrief } from './brief.js';
import { initCampaignList } from './campaign-list.js';
import { initCampaignView } from './campaign-view.js';
import { initUpload } from './upload.js';
import { DEFAULT_FILTERS, readState } from './url-state.js';

initKeyControls();
const view = initCampaignView();
const list = initCampaignList({
  onChoose: (campaign) => {
    list.select(campaign);
    // Another campaign: the limit stays, its filters start afresh (its platforms and dates differ).
    view.show({ ...DEFAULT_FILTERS, campaign, limit: view.current().limit });
  },
});
const brief = initBrief();
initUpload({
  onIngested: () => {
    list.reload();
    brief.reloadCampaigns();
  },
});

const start = readState();
list.reload().then(() => list.select(start.campaign));
if (start.campaign) view.show(start);
