// hcpartner as an ES module: the same objects as `require('hcpartner')`.
import hcpartner from './index.js';

export const {
  Client,
  Pager,
  signRequest,
  meta,
  Credentials,
  akSk,
  password,
  token,
  assumeRole,
  fromEnv,
  fromProfile,
  fromMetadata,
  defaultChain,
  HcpError,
  InvalidArgumentError,
  AuthError,
  ApiError,
  ThrottledError,
  DecodeError,
  TimeoutError,
  ConnectionError,
  OutcomeUnknownError,
  InternalError,
  version,
} = hcpartner;

export default hcpartner;
