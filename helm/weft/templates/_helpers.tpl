{{/*
Names, labels and the values derived from other values. Every resource name goes through here, so a
release's objects can be found by name and the coordinator's DNS names stay consistent.
*/}}

{{- define "weft.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's base name: the release name, with the chart name appended unless it is already in it. */}}
{{- define "weft.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "weft.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The StatefulSet (at most 52 characters: its pods' controller-revision-hash label adds 11). */}}
{{- define "weft.coordinator.name" -}}
{{- printf "%s-coordinator" (include "weft.fullname" .) | trunc 52 | trimSuffix "-" }}
{{- end }}

{{/* The headless Service that gives each member a stable DNS name. */}}
{{- define "weft.coordinator.headless" -}}
{{- printf "%s-headless" (include "weft.coordinator.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "weft.node.name" -}}
{{- printf "%s-node" (include "weft.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "weft.labels" -}}
helm.sh/chart: {{ include "weft.chart" . }}
app.kubernetes.io/name: {{ include "weft.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: weft
{{- end }}

{{/* Selector labels of one component: call with (dict "ctx" $ "component" "coordinator"). */}}
{{- define "weft.selectorLabels" -}}
app.kubernetes.io/name: {{ include "weft.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* An image reference: call with (dict "ctx" $ "image" .Values.coordinator.image). */}}
{{- define "weft.image" -}}
{{- printf "%s:%s" .image.repository (default .ctx.Chart.AppVersion .image.tag) }}
{{- end }}

{{/* The Secret holding the admin credential: the one given, or the one this chart generates. */}}
{{- define "weft.adminSecret.name" -}}
{{- if .Values.adminCredential.existingSecret }}
{{- .Values.adminCredential.existingSecret }}
{{- else }}
{{- printf "%s-admin" (include "weft.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "weft.adminSecret.key" -}}
{{- if .Values.adminCredential.existingSecret }}
{{- .Values.adminCredential.key }}
{{- else -}}
credential
{{- end }}
{{- end }}

{{/* PostgreSQL: host and the Secret with the password default to a release-named PostgreSQL next to this one. */}}
{{- define "weft.db.host" -}}
{{- default (printf "%s-postgresql" .Release.Name) .Values.db.host }}
{{- end }}

{{- define "weft.db.secret" -}}
{{- default (printf "%s-postgresql" .Release.Name) .Values.db.passwordSecret.name }}
{{- end }}

{{- define "weft.db.url" -}}
{{- $url := printf "jdbc:postgresql://%s:%d/%s" (include "weft.db.host" .) (int .Values.db.port) .Values.db.name }}
{{- if .Values.db.params }}
{{- $url = printf "%s?%s" $url (trimPrefix "?" .Values.db.params) }}
{{- end }}
{{- $url }}
{{- end }}


{{/* True (non-empty) when the values declare any part of the network spec. */}}
{{- define "weft.spec.enabled" -}}
{{- if or .Values.network .Values.nodes .Values.onRamps .Values.backboneLinks }}true{{- end }}
{{- end }}

{{- define "weft.spec.configMap" -}}
{{- printf "%s-spec" (include "weft.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The URL node agents join: the values' URL, or the coordinator's Service inside the cluster. */}}
{{- define "weft.node.coordinatorUrl" -}}
{{- if .Values.node.coordinatorUrl }}
{{- .Values.node.coordinatorUrl }}
{{- else }}
{{- printf "http://%s.%s.svc.%s:%d" (include "weft.coordinator.name" .) .Release.Namespace .Values.clusterDomain (int .Values.coordinator.service.port) }}
{{- end }}
{{- end }}

{{- define "weft.node.joinTokenSecret" -}}
{{- default (printf "%s-join-token" (include "weft.fullname" .)) .Values.node.joinToken.existingSecret }}
{{- end }}
