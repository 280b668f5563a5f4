package catalogue

import (
	"time"
)

// Role is what a user may do on the site. Each role includes the ones
// before it in Roles.
type Role string

// The four roles.
const (
	RoleLearner     Role = "learner"
	RoleContributor Role = "contributor"
	RoleModerator   Role = "moderator"
	RoleAdmin       Role = "admin"
)

// Roles lists the roles from least to most trusted.
var Roles = []Role{RoleLearner, RoleContributor, RoleModerator, RoleAdmin}

// Valid reports whether r is one of the four roles.
func (r Role) Valid() bool { return r.rank() >= 0 }

// AtLeast reports whether r includes the rights of min.
func (r Role) AtLeast(min Role) bool { return r.rank() >= min.rank() && min.Valid() }

func (r Role) rank() int {
	for i, v := range Roles {
		if v == r {
			return i
		}
	}
	return -1
}

// Digest is how often a user receives notification mails.
type Digest string

// Digest frequencies.
const (
	DigestImmediate Digest = "immediate"
	DigestDaily     Digest = "daily"
	DigestWeekly    Digest = "weekly"
)

// Digests lists the frequencies a user can choose.
var Digests = []Digest{DigestImmediate, DigestDaily, DigestWeekly}

// User is an account on the site.
type User struct {
	ID           uint   `gorm:"primaryKey"`
	Email        string `gorm:"size:254;not null;uniqueIndex"` // lower case
	Name         string `gorm:"size:200;not null"`
	PasswordHash string `gorm:"size:200;not null"` // argon2id, PHC string
	Role         Role   `gorm:"size:16;not null"`
	Lang         string `gorm:"size:8;not null"` // language of the user's mails
	Digest       Digest `gorm:"size:16;not null"`
	ConfirmedAt  *time.Time
	BlockedAt    *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time

	Organisations []Organisation `gorm:"many2many:memberships"`
}

// Confirmed reports whether the user has confirmed their e-mail address.
func (u *User) Confirmed() bool { return u.ConfirmedAt != nil }

// Blocked reports whether an administrator has blocked the account.
func (u *User) Blocked() bool { return u.BlockedAt != nil }

// MemberOf reports whether the user belongs to the organisation.
func (u *User) MemberOf(orgID uint) bool {
	for _, o := range u.Organisations {
		if o.ID == orgID {
			return true
		}
	}
	return false
}

// Session is a signed-in browser. ID is the SHA-256 of the cookie's token,
// so a copy of the database does not let anyone sign in.
type Session struct {
	ID         string `gorm:"primaryKey;size:64"`
	UserID     uint   `gorm:"not null;index"`
	CreatedAt  time.Time
	LastSeenAt time.Time
}

// TokenPurpose is what a one-time token in a mailed link is for.
type TokenPurpose string

// Token purposes.
const (
	TokenConfirm TokenPurpose = "confirm"
	TokenReset   TokenPurpose = "reset"
)

// UserToken is a one-time token sent by mail. Hash is the SHA-256 of the
// token in the link.
type UserToken struct {
	Hash      string       `gorm:"primaryKey;size:64"`
	UserID    uint         `gorm:"not null;index"`
	Purpose   TokenPurpose `gorm:"size:16;not null"`
	ExpiresAt time.Time    `gorm:"not null"`
	CreatedAt time.Time
}

// Setting is a named value the site keeps across restarts (its secret key).
type Setting struct {
	Name  string `gorm:"primaryKey;size:64"`
	Value string `gorm:"not null"`
}
