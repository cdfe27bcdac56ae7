package org.geohazard.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueryHandlersTest {

  @Test
  void geoJsonIsChosenOnlyWhenTheAcceptHeaderPrefersIt() {
    assertThat(QueryHandlers.prefersGeoJson("application/geo+json")).isTrue();
    assertThat(QueryHandlers.prefersGeoJson("application/geo+json, application/json;q=0.5")).isTrue();
    assertThat(QueryHandlers.prefersGeoJson("application/json, application/geo+json")).isFalse();
    assertThat(QueryHandlers.prefersGeoJson("application/json")).isFalse();
    assertThat(QueryHandlers.prefersGeoJson("*/*")).isFalse();
    assertThat(QueryHandlers.prefersGeoJson(null)).isFalse();
  }
}
