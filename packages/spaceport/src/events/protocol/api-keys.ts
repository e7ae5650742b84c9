/** API keys and the exact version ranges this broker implements (and advertises in ApiVersions). */
export const ApiKey = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  LeaveGroup: 13,
  SyncGroup: 14,
  DescribeGroups: 15,
  ListGroups: 16,
  ApiVersions: 18,
  CreateTopics: 19,
  DeleteTopics: 20,
  DeleteRecords: 21,
  DescribeAcls: 29,
  CreateAcls: 30,
  DeleteAcls: 31,
  DescribeConfigs: 32,
  AlterConfigs: 33,
  CreatePartitions: 37,
  DeleteGroups: 42,
  IncrementalAlterConfigs: 44,
} as const;

export interface VersionRange {
  min: number;
  max: number;
}

/**
 * Produce is advertised from v0 although only record batches v2 (magic 2, which Produce v3+ requires) are
 * accepted: librdkafka up to 2.11 (Debian's kcat) compresses with gzip, snappy or lz4 only when the broker's
 * Produce range includes v0 (rdkafka_msgset_writer.c, rd_kafka_msgset_writer_select_MsgVersion: compr_req[]
 * is {0, 0} for gzip/snappy and {LZ4, 0} for lz4, checked with ApiVersion_supported(Produce, 0, 0)). With a
 * range of 3-8 it silently sends those codecs uncompressed. v0-2 requests decode fine; their old message
 * sets (magic 0/1) are refused with UNSUPPORTED_FOR_MESSAGE_FORMAT.
 */
export const supportedVersions: ReadonlyMap<number, VersionRange> = new Map([
  [ApiKey.Produce, { min: 0, max: 8 }],
  [ApiKey.Fetch, { min: 4, max: 11 }],
  [ApiKey.ListOffsets, { min: 1, max: 3 }],
  [ApiKey.Metadata, { min: 1, max: 6 }],
  [ApiKey.OffsetCommit, { min: 2, max: 5 }],
  [ApiKey.OffsetFetch, { min: 1, max: 4 }],
  [ApiKey.FindCoordinator, { min: 0, max: 2 }],
  [ApiKey.JoinGroup, { min: 0, max: 5 }],
  [ApiKey.Heartbeat, { min: 0, max: 3 }],
  [ApiKey.LeaveGroup, { min: 0, max: 2 }],
  [ApiKey.SyncGroup, { min: 0, max: 3 }],
  [ApiKey.DescribeGroups, { min: 0, max: 2 }],
  [ApiKey.ListGroups, { min: 0, max: 2 }],
  [ApiKey.ApiVersions, { min: 0, max: 3 }],
  [ApiKey.CreateTopics, { min: 0, max: 4 }],
  [ApiKey.DeleteTopics, { min: 0, max: 3 }],
  [ApiKey.DeleteRecords, { min: 0, max: 1 }],
  [ApiKey.DescribeAcls, { min: 0, max: 1 }],
  [ApiKey.CreateAcls, { min: 0, max: 1 }],
  [ApiKey.DeleteAcls, { min: 0, max: 1 }],
  [ApiKey.DescribeConfigs, { min: 0, max: 2 }],
  [ApiKey.AlterConfigs, { min: 0, max: 1 }],
  [ApiKey.CreatePartitions, { min: 0, max: 1 }],
  [ApiKey.DeleteGroups, { min: 0, max: 1 }],
  [ApiKey.IncrementalAlterConfigs, { min: 0, max: 0 }],
]);

/**
 * Whether a request uses the flexible encoding (compact types, tagged fields, request header v2).
 * Within the ranges above only ApiVersions v3 is flexible (ApiVersionsRequest.json: "flexibleVersions": "3+";
 * every other API here becomes flexible above the version we support: DeleteRecords 2+, the ACL APIs 2+, DescribeConfigs 4+, AlterConfigs 2+,
 * CreatePartitions 2+, DeleteGroups 2+, IncrementalAlterConfigs 1+).
 */
export function isFlexible(apiKey: number, version: number): boolean {
  return apiKey === ApiKey.ApiVersions && version >= 3;
}
