/** The event log's interface to the rest of Spaceport: the add-on's ServiceFactory and the admin views' shapes. */
export { kafkaServices } from './service.js';
export type { TopicView, GroupView } from './admin/views.js';
export type { TailRecord } from './admin/records.js';
