package store

import (
	"go.mongodb.org/mongo-driver/v2/bson"

	"agencybot/domain"
)

// FerretDB v1 refuses nested arrays, and a message's buttons are rows of
// buttons. In the database a pre-rendered message keeps each row as a
// document ({b: [buttons]}); these methods convert on the way in and out.

type storedOutgoing struct {
	ChatID  int64              `bson:"chat_id"`
	Text    string             `bson:"text"`
	Buttons []storedRow        `bson:"buttons,omitempty"`
	Silent  bool               `bson:"silent"`
	File    *domain.Attachment `bson:"file,omitempty"`
}

type storedRow struct {
	B []domain.Button `bson:"b"`
}

func toStored(o *domain.Outgoing) *storedOutgoing {
	if o == nil {
		return nil
	}
	s := &storedOutgoing{ChatID: o.ChatID, Text: o.Text, Silent: o.Silent, File: o.File}
	for _, r := range o.Buttons {
		s.Buttons = append(s.Buttons, storedRow{B: r})
	}
	return s
}

func (s *storedOutgoing) outgoing() *domain.Outgoing {
	if s == nil {
		return nil
	}
	o := &domain.Outgoing{ChatID: s.ChatID, Text: s.Text, Silent: s.Silent, File: s.File}
	for _, r := range s.Buttons {
		o.Buttons = append(o.Buttons, r.B)
	}
	return o
}

// outboxDoc is an OutboxMessage as stored.
type outboxDoc struct {
	Msg plainMessage    `bson:",inline"`
	Out *storedOutgoing `bson:"out,omitempty"`
}

// plainMessage has OutboxMessage's fields and none of its methods (Out is
// not stored as it is: bson:"-").
type plainMessage OutboxMessage

// MarshalBSON stores the message with its buttons in rows of documents.
func (m OutboxMessage) MarshalBSON() ([]byte, error) {
	return bson.Marshal(outboxDoc{Msg: plainMessage(m), Out: toStored(m.Out)})
}

// UnmarshalBSON reads a message stored by MarshalBSON.
func (m *OutboxMessage) UnmarshalBSON(data []byte) error {
	var d outboxDoc
	if err := bson.Unmarshal(data, &d); err != nil {
		return err
	}
	*m = OutboxMessage(d.Msg)
	m.Out = d.Out.outgoing()
	return nil
}
