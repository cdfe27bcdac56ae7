"""Work-arounds for two defects of the generated SDK (openapi-generator 7.25.0, python-pydantic-v1).

Use `geohazard_compat.ApiClient` wherever you would use `geohazard_client.ApiClient`.
"""
import datetime

import geohazard_client


class ApiClient(geohazard_client.ApiClient):
    """`geohazard_client.ApiClient`, fixed to send decimal numbers in forms and valid date-times."""

    def call_api(self, resource_path, method, path_params=None, query_params=None, *args, **kwargs):
        # The generated methods turn a datetime query parameter (`from`, `to`) into text with
        # Configuration.datetime_format, '%Y-%m-%dT%H:%M:%S.%f%z': '+0000', an offset without
        # the colon RFC 3339 (the contract's `format: date-time`) requires, so the node answers
        # 400 invalid_request. Sent instead as the same instant in UTC, written with 'Z'.
        if query_params:
            query_params = [(name, self._rfc3339(value)) for name, value in query_params]
        return super().call_api(resource_path, method, path_params, query_params, *args, **kwargs)

    def _rfc3339(self, value):
        if not isinstance(value, str):
            return value
        try:
            moment = datetime.datetime.strptime(value, self.configuration.datetime_format)
        except ValueError:
            return value  # not a date-time this client formatted
        if moment.tzinfo is None:
            return value  # a naive datetime has no offset to send; the node will say so
        return moment.astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.%fZ')

    def request(self, method, url, query_params=None, headers=None, post_params=None,
                body=None, _preload_content=True, _request_timeout=None):
        # The generated client hands form fields to urllib3 as Python values; urllib3 (1.26 and
        # 2.x) writes str and int but not float, so analyze_single(file, latitude=38.1) raises
        # "TypeError: a bytes-like object is required, not 'float'" before sending anything.
        # Multipart fields are text anyway: floats go as their shortest repr ('38.1').
        if post_params:
            post_params = [(name, str(value) if isinstance(value, float) else value)
                           for name, value in post_params]
        return super().request(method, url, query_params=query_params, headers=headers,
                               post_params=post_params, body=body,
                               _preload_content=_preload_content,
                               _request_timeout=_request_timeout)
