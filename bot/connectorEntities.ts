/**
 * The Bot Connector client serializes outgoing activities with its Swagger mappers, and its Entity
 * mapper knows only `type`, `text` and `mentioned`: every other property of an entity (the wmoTopic
 * entity's topic and confidence, the schema.org Message's citations) was dropped on the way to
 * Azure Bot Service channels and Teams. Letting that mapper keep additional properties, once at
 * start-up, sends entities as the Bot Framework protocol defines them (open JSON objects).
 */
import { createRequire } from 'node:module';

type Mapper = { type: { additionalProperties?: unknown } };

const require = createRequire(import.meta.url);
const mappers = require('botframework-connector/lib/connectorApi/models/mappers.js') as { Entity: Mapper };
mappers.Entity.type.additionalProperties ??= { type: { name: 'Object' } };
