{{/* The objects' name: the release's, with the chart's name unless the release already carries it. */}}
{{- define "laaffic-exporter.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "laaffic-exporter.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* What selects the pods: the Service, the ServiceMonitor (through the Service) and the NetworkPolicy. */}}
{{- define "laaffic-exporter.selectorLabels" -}}
app.kubernetes.io/name: {{ include "laaffic-exporter.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "laaffic-exporter.labels" -}}
{{ include "laaffic-exporter.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "laaffic-exporter.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "laaffic-exporter.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The image, from values only: a repository is required (there is no public image to default to). */}}
{{- define "laaffic-exporter.image" -}}
{{- $repository := required "image.repository is required: build the image from the Dockerfile and push it where the cluster pulls from (docs/docker.md), e.g. --set image.repository=ghcr.io/you/laaffic-exporter" .Values.image.repository -}}
{{- $reference := printf "%s:%s" $repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- if .Values.image.digest -}}{{- $reference = printf "%s@%s" $reference .Values.image.digest -}}{{- end -}}
{{- $reference -}}
{{- end -}}

{{/* The Secret holding accounts.yml: the user's, or the chart's made from inline values. */}}
{{- define "laaffic-exporter.secretName" -}}
{{- default (include "laaffic-exporter.fullname" .) .Values.existingSecret -}}
{{- end -}}

{{- define "laaffic-exporter.webConfigSecretName" -}}
{{- default (printf "%s-web-config" (include "laaffic-exporter.fullname" .)) .Values.webConfig.existingSecret -}}
{{- end -}}

{{- define "laaffic-exporter.webConfigEnabled" -}}
{{- if or .Values.webConfig.existingSecret .Values.webConfig.config -}}true{{- end -}}
{{- end -}}

{{/* HTTPS: said by the inline web configuration itself, or by webConfig.tls for an existing Secret. */}}
{{- define "laaffic-exporter.scheme" -}}
{{- if or .Values.webConfig.tls (hasKey .Values.webConfig.config "tls_server_config") -}}HTTPS{{- else -}}HTTP{{- end -}}
{{- end -}}
