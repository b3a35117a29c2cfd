/** Microsoft Teams for Wmo consultants (issue 13): one module; see teamsBot.ts. */
export { WmoTeamsBot, threadRootId, type TeamsBotDeps } from './teamsBot.js';
export { DeskError, OUTCOMES, type ClaimResult, type DeskEvent, type Escalation, type EscalationDesk, type EscalationState, type Outcome, type Person, type TranscriptLine } from './desk.js';
export { TeamsStore, type ChannelRoute, type EscalationPost, type Routes, type TeamRecord } from './store.js';
export { HandoffEscalationDesk, type HandoffServiceLike } from './handoffDesk.js';
