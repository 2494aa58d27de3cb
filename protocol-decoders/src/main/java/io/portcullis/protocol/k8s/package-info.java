/**
 * Kubernetes API requests: the strict reading of a request target ({@link
 * io.portcullis.protocol.k8s.RequestTarget}), the attributes the API server authorizes on ({@link
 * io.portcullis.protocol.k8s.K8sRequestParser}) and the request document built from them. Pure: no
 * sockets, no OPA.
 */
package io.portcullis.protocol.k8s;
