'use strict';
// A small BSS-shaped client over the official @huaweicloud/huaweicloud-sdk-core, written as the
// generated Node SDKs are (a client class whose methods build HttpRequestOptions and hand them
// to HcClient.sendRequest). There is no BSS package on npm; this is what one would do per call.

const { ClientBuilder } = require('@huaweicloud/huaweicloud-sdk-core/ClientBuilder');
const { GlobalCredentials } = require('@huaweicloud/huaweicloud-sdk-core');

class BssClient {
  constructor(hcClient) {
    this.hcClient = hcClient;
  }

  static newBuilder() {
    return new ClientBuilder((hcClient) => new BssClient(hcClient), 'GlobalCredentials');
  }

  listSubCustomers(request = {}) {
    return this.hcClient.sendRequest({
      method: 'POST',
      url: '/v2/partners/sub-customers/query',
      contentType: 'application/json;charset=UTF-8',
      queryParams: {},
      pathParams: {},
      headers: { 'Content-Type': 'application/json;charset=UTF-8' },
      data: { ...request },
    });
  }
}

function officialClient(endpoint, ak, sk, domainId) {
  const credentials = new GlobalCredentials().withAk(ak).withSk(sk).withDomainId(domainId);
  return BssClient.newBuilder().withCredential(credentials).withEndpoint(endpoint).build();
}

module.exports = { officialClient };
