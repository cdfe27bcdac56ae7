/**
 * OGC API - Features (Part 1 Core, GeoJSON) as plain logic: the query parameters of {@code items} read and checked
 * ({@link ItemsQuery}: {@link Bbox}, {@link TimeFilter}, paging), the collections the node offers
 * ({@link OgcCollection}) and the documents a GIS client reads (landing page, conformance, collections, a page of
 * features with its {@code next} link: {@link OgcDocuments}). No I/O: the API verticle reads the features through
 * the persistence services and hands them here to be framed.
 */
package org.geohazard.ogc;
