/** Every API module by key: the dispatcher looks up here, no switch. */
import { createAcls, deleteAcls, describeAcls } from './acls.js';
import type { ApiModule } from './api.js';
import { alterConfigs, incrementalAlterConfigs } from './alter-configs.js';
import { apiVersions } from './api-versions.js';
import { createPartitions } from './create-partitions.js';
import { createTopics } from './create-topics.js';
import { deleteGroups } from './delete-groups.js';
import { deleteRecords } from './delete-records.js';
import { deleteTopics } from './delete-topics.js';
import { describeConfigs } from './describe-configs.js';
import { describeGroups } from './describe-groups.js';
import { fetch } from './fetch.js';
import { findCoordinator } from './find-coordinator.js';
import { heartbeat } from './heartbeat.js';
import { joinGroup } from './join-group.js';
import { leaveGroup } from './leave-group.js';
import { listGroups } from './list-groups.js';
import { listOffsets } from './list-offsets.js';
import { metadata } from './metadata.js';
import { offsetCommit } from './offset-commit.js';
import { offsetFetch } from './offset-fetch.js';
import { produce } from './produce.js';
import { syncGroup } from './sync-group.js';

const modules: ApiModule[] = [
  produce, fetch, listOffsets, metadata, offsetCommit, offsetFetch, findCoordinator, joinGroup,
  heartbeat, leaveGroup, syncGroup, describeGroups, listGroups, apiVersions, createTopics, deleteTopics,
  describeConfigs, alterConfigs, incrementalAlterConfigs, createPartitions, deleteGroups, deleteRecords,
  describeAcls, createAcls, deleteAcls,
];

export const apiModules: ReadonlyMap<number, ApiModule> = new Map(modules.map((m) => [m.key, m]));
