// Swagger UI for the contract the server itself serves. A separate file rather than an inline
// script, so the page works under a Content-Security-Policy without 'unsafe-inline'.
window.ui = SwaggerUIBundle({
  url: '/openapi.yaml',
  dom_id: '#swagger-ui',
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
  // No call to the public validator service: the dashboard must work without internet.
  validatorUrl: null,
});
