lint --explain W999
