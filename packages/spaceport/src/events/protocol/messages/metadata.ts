/** Metadata v1-6 (MetadataRequest/Response.json). */
import type { Reader } from '../reader.js';
import { Writer } from '../writer.js';

export interface MetadataRequest {
  /** null: every topic. */
  topics: string[] | null;
  allowAutoTopicCreation: boolean;
}

export function decodeMetadataRequest(r: Reader, version: number): MetadataRequest {
  const topics = r.nullableArray((r) => r.string());
  // Before v4 there is no flag and the broker decides (auto.create.topics.enable).
  const allowAutoTopicCreation = version >= 4 ? r.bool() : true;
  return { topics, allowAutoTopicCreation };
}

export interface MetadataBroker {
  nodeId: number;
  host: string;
  port: number;
}
export interface MetadataPartition {
  errorCode: number;
  partition: number;
  leader: number;
}
export interface MetadataTopic {
  errorCode: number;
  name: string;
  partitions: MetadataPartition[];
}
export interface MetadataResponse {
  brokers: MetadataBroker[];
  clusterId: string;
  controllerId: number;
  topics: MetadataTopic[];
}

export function encodeMetadataResponse(res: MetadataResponse, version: number): Writer {
  const w = new Writer(512);
  if (version >= 3) w.int32(0);
  w.array(res.brokers, (w, b) => w.int32(b.nodeId).string(b.host).int32(b.port).nullableString(null));
  if (version >= 2) w.nullableString(res.clusterId);
  w.int32(res.controllerId);
  w.array(res.topics, (w, t) => {
    w.int16(t.errorCode).string(t.name).bool(false);
    w.array(t.partitions, (w, p) => {
      w.int16(p.errorCode).int32(p.partition).int32(p.leader);
      const replicas = p.leader >= 0 ? [p.leader] : [];
      w.int32Array(replicas).int32Array(replicas);
      if (version >= 5) w.int32Array([]);
    });
  });
  return w;
}
