module agencybot

go 1.26.8

require (
	github.com/FerretDB/FerretDB v1.24.0 // indirect
	github.com/go-telegram-bot-api/telegram-bot-api/v5 v5.5.1 // indirect
	github.com/joho/godotenv v1.5.1 // indirect
	github.com/robfig/cron/v3 v3.0.1 // indirect
	go.mongodb.org/mongo-driver/v2 v2.10.0 // indirect
	golang.org/x/text v0.41.0 // indirect
)
