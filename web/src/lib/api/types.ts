// Names for the generated schema types the SPA uses most. These are aliases of
// `components['schemas']` in schema.d.ts, never hand-written shapes.
import type { components } from './schema';

type Schemas = components['schemas'];

export type Board = Schemas['BoardResponse'];
export type BoardColumn = Schemas['BoardColumnResponse'];
export type CurrencyTotal = Schemas['CurrencyTotalResponse'];
export type Deal = Schemas['DealResponse'];
export type DealStatus = Schemas['DealStatus'];
export type Pipeline = Schemas['PipelineResponse'];
export type Stage = Schemas['StageResponse'];
export type StageChange = Schemas['StageChangeResponse'];
export type User = Schemas['UserResponse'];
export type Workspace = Schemas['WorkspaceResponse'];
export type Me = Schemas['MeResponse'];
export type TokenPair = Schemas['TokenResponse'];
export type Problem = Schemas['Problem'];
export type FieldError = Schemas['FieldError'];
export type CreateDealInput = Schemas['CreateDealRequest'];
export type UpdateDealInput = Schemas['UpdateDealRequest'];
export type CreatePipelineInput = Schemas['CreatePipelineRequest'];
export type UpdatePipelineInput = Schemas['UpdatePipelineRequest'];
export type CreateStageInput = Schemas['CreateStageRequest'];
export type UpdateStageInput = Schemas['UpdateStageRequest'];
export type SignupInput = Schemas['SignupRequest'];
export type LoginInput = Schemas['LoginRequest'];
export type Webhook = Schemas['WebhookResponse'];
export type WebhookWithSecret = Schemas['WebhookWithSecret'];
export type Delivery = Schemas['DeliveryResponse'];
export type DeliveryAttempt = Schemas['AttemptResponse'];
export type CreateWebhookInput = Schemas['CreateWebhookRequest'];
export type UpdateWebhookInput = Schemas['UpdateWebhookRequest'];
export type Lead = Schemas['LeadResponse'];
export type LeadStatus = Lead['status'];
export type LeadSource = Lead['source'];
export type LeadInput = Schemas['LeadInput'];
export type UpdateLeadInput = Schemas['UpdateLeadRequest'];
export type QualifyLeadInput = Schemas['QualifyLeadRequest'];
export type Qualification = Schemas['QualificationResponse'];
export type DisqualifyLeadInput = Schemas['DisqualifyLeadRequest'];
export type DisqualifyReason = DisqualifyLeadInput['reason'];
export type LeadScore = Schemas['ScoreResponse'];
export type FiredRule = Schemas['FiredRuleResponse'];
export type Opportunity = Schemas['OpportunityResponse'];
