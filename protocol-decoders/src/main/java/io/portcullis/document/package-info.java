/**
 * The request document ({@code input}) that every policy reads, as typed records.
 *
 * <p>Field names are camelCase here and snake_case on the wire: the gateway's JSON mapper uses
 * Jackson's snake-case naming strategy. Never rename or drop a field without bumping
 * {@link io.portcullis.document.RequestDocument#CURRENT_VERSION}.
 */
package io.portcullis.document;
