module github.com/sync-vs-async/playground

go 1.26

require (
	github.com/hack-pad/safejs v0.1.1
	github.com/stretchr/testify v1.12.1
	maragu.dev/gomponents v1.2.0
)

require go.yaml.in/yaml/v3 v3.0.5 // indirect
