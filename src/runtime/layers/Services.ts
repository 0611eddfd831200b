/** The four services the bot calls, over whatever StoreRouter the chosen mode provides. */
import { Layer } from "effect"
import * as DocumentService from "../services/DocumentService.js"
import * as MessageService from "../services/MessageService.js"
import * as QueryService from "../services/QueryService.js"
import * as UserProfileService from "../services/UserProfileService.js"

export type Services =
  | MessageService.MessageService
  | QueryService.QueryService
  | DocumentService.DocumentService
  | UserProfileService.UserProfileService

export const ServicesLive = Layer.mergeAll(
  MessageService.layer,
  QueryService.layer,
  DocumentService.layer,
  UserProfileService.layer
)
